# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""antsibull-docs sphinx-init and its build.sh (antsibull-docs collection, sphinx-build -W) build the collection's
docsite to HTML, with a page for every module and every guide of docs/docsite/extra-docs.yml, linked from the index."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os

from collection_facts import load_yaml, modules
from docsite import build_docsite


def test_docsite_builds_with_every_module_and_guide(ansible_cli, tmp_path):
    dest = str(tmp_path / 'docsite')
    os.mkdir(dest)
    assert build_docsite(dest, run=ansible_cli.run) is None
    html = os.path.join(dest, 'build', 'html')
    guides = [
        entry
        for section in (load_yaml('docs/docsite/extra-docs.yml') or {}).get('sections', [])
        for entry in section.get('toctree', [])
    ]
    expected = (
        ['index.html']
        + ['%s_module.html' % name for name in modules()]
        + [os.path.join('docsite', '%s.html' % g) for g in guides]
    )
    assert [page for page in expected if not os.path.isfile(os.path.join(html, page))] == []
    with open(os.path.join(html, 'index.html'), encoding='utf-8') as handle:
        index = handle.read()
    assert [g for g in guides if 'docsite/%s.html' % g not in index] == [], (
        'the collection index does not link these guides'
    )
    assert len(glob.glob(os.path.join(html, '**', '*.html'), recursive=True)) >= len(expected)
