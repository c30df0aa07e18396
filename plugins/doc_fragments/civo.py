# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Option for option the same as connection_argument_spec() in plugins/module_utils/client.py;
    # tests/unit/plugins/doc_fragments/test_civo.py keeps the two in step.
    DOCUMENTATION = r'''
options:
  api_token:
    description:
      - The Civo API token, from the Civo dashboard under Settings > Profile > Security.
      - If not set, the value of the E(CIVO_TOKEN) environment variable is used.
      - Required, through this option or the environment. It is never logged or returned.
    type: str
    aliases: [api_key]
    version_added: 0.1.0
  api_url:
    description:
      - Base URL of the Civo API.
      - If not set, the value of the E(CIVO_API_URL) environment variable is used, then the default.
      - Must be an C(http://) or C(https://) URL. Plain C(http://) to anything but loopback gets a warning,
        because the token would travel unencrypted.
    type: str
    default: https://api.civo.com
    version_added: 0.1.0
  region:
    description:
      - The Civo region to work in, for example V(LON1), V(NYC1) or V(FRA1). Sent as C(region) on every API call.
      - If not set, the value of the E(CIVO_REGION) environment variable is used; if neither is set, the
        account's default region applies.
    type: str
    version_added: 0.1.0
  api_timeout:
    description:
      - Seconds to wait for each answer of the API before the request counts as failed (and is retried).
    type: int
    default: 30
    version_added: 0.1.0
  api_retries:
    description:
      - How many times a request is retried after a rate limit (HTTP 429), a transient server error (500, 502, 503,
        504), a timeout, a dropped connection or a malformed answer.
      - Retries wait with capped, jittered exponential backoff, or as long as the API asks in C(Retry-After).
      - V(0) disables retries.
    type: int
    default: 5
    version_added: 0.1.0
  validate_certs:
    description:
      - Whether to verify the API's TLS certificate. Only set to V(false) for a test endpoint with a self-signed
        certificate.
    type: bool
    default: true
    version_added: 0.1.0
requirements:
  - requests
'''
