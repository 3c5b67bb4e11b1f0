#!/usr/bin/env python3
"""The bulk benchmark's peer: the PyPI client `trackingmore` 0.2 creating the trackings of a
CSV file in batches of 40, one request after another, as its users write it.

    PYTHONPATH=CLIENT_DIR python3 python_client.py BASE_URL KEY FILE.csv

Prints how many trackings were created.
"""
import csv, sys

import trackingmore
import trackingmore.trackingmore as api

base, key, path = sys.argv[1:4]
api.BASE_URL = base
trackingmore.set_api_key(key)
with open(path, newline="") as f:
    rows = list(csv.DictReader(f))
created = 0
for i in range(0, len(rows), 40):
    batch = [trackingmore.create_tracking_data(r["carrier_code"], r["tracking_number"], title=r["title"],
                                               customer_email=r["customer_email"], order_id=r["order_id"])
             for r in rows[i:i + 40]]
    created += trackingmore.create_tracking_items_batch(batch)["added"]
print(created)
