"""Datasette served in this process (its ASGI client), for the tests that read pages and JSON."""
from __future__ import annotations

import asyncio
import urllib.parse


class Site:
    def __init__(self, ds):
        self.ds = ds
        asyncio.run(ds.invoke_startup())

    def get(self, path, **params):
        if params:
            path += ("&" if "?" in path else "?") + urllib.parse.urlencode(params)
        return asyncio.run(self.ds.client.get(path))

    def rows(self, path, **params):
        response = self.get(path, _shape="array", **params)
        assert response.status_code == 200, response.text
        return response.json()
