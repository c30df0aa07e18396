# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where the collection under test is: the one rule of every suite (unit, simulator, examples, reliability, ecosystem,
bench).

The collection under test is the tree these files are part of. make runs every check in a copy of the working tree at
.build/<check>/ansible_collections/civo/cloud, so the folder that holds `ansible_collections` is three levels up.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def collections_path():
    """The folder holding ansible_collections/civo/cloud (this tree); RuntimeError when the tree is not laid out so."""
    base = os.path.dirname(os.path.dirname(os.path.dirname(REPO_ROOT)))
    if REPO_ROOT != os.path.join(base, 'ansible_collections', 'civo', 'cloud'):
        raise RuntimeError(
            '%s is not at .../ansible_collections/civo/cloud: run the tests through make (make units, '
            'make examples, ...), which copies the tree into that shape' % REPO_ROOT
        )
    return base
