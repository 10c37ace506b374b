"""gunicorn settings every deployment shares (`scripts/start`, the test servers, `bench/over_http.py`).

The request line is the one limit a client meets before the application: gunicorn refuses a longer one with
414 and a short HTML page, not the API's JSON envelope. The schema publishes that answer (`portal.api.schema`)
and docs/api.md states the limit; keep the three in step.
"""

# gunicorn's largest setting (its default is 4,094): long filter lists (`?id=…&id=…`) still reach the portal.
limit_request_line = 8190
