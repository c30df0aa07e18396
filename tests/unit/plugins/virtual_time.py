# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A stand-in for the time module of the code under test, so that waiting and backoff take no real time."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time


class VirtualTime:
    """time() and sleep() of a virtual clock: sleeping moves it on at once, and every sleep is recorded."""

    def __init__(self, start=None):
        self.now = time.time() if start is None else start
        self.slept = []

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds
