#!/usr/bin/env python3
"""The seed notebook's rotation logic, unchanged in substance, pointed at the emulators.

shared/seed/rotating_dbt_cloud_service_tokens_w_aws_sm.txt, steps 1-5: get the secret, create a
new token (account_admin), overwrite the secret, delete the old token with the new one, then
delete any other active token of the same name. Only the endpoints are parameters (the notebook
hard-codes https://{access_url}); everything else is the notebook's code path (boto3, requests).
Used by dbt-rotate-bench for the side-by-side figures.
"""
import json
import os
from datetime import datetime, timezone

import boto3
import requests

BASE = os.environ["BENCH_DBT_BASE_URL"]
ACCOUNT = int(os.environ["BENCH_DBT_ACCOUNT_ID"])
SECRET = os.environ["BENCH_SECRET_NAME"]
REGION = os.environ["AWS_REGION"]
SM_ENDPOINT = os.environ["BENCH_SM_ENDPOINT"]


def sm():
    # The notebook creates a new client in every helper; so do we.
    return boto3.client("secretsmanager", region_name=REGION, endpoint_url=SM_ENDPOINT)


def get_secret(name):
    return json.loads(sm().get_secret_value(SecretId=name)["SecretString"])


def update_aws_secret(name, value):
    return sm().put_secret_value(SecretId=name, SecretString=json.dumps(value))


def delete_token(token_id, token):
    url = f"{BASE}/api/v3/accounts/{ACCOUNT}/service-tokens/{token_id}/"
    r = requests.delete(url, headers={"Content-Type": "application/json",
                                      "Authorization": f"Bearer {token}"})
    r.raise_for_status()
    return r.json()


def create_token(name, token):
    url = f"{BASE}/api/v3/accounts/{ACCOUNT}/service-tokens/"
    payload = {"name": name, "permission_grants": [
        {"permission_set": "account_admin", "project_id": None, "writable_environment_categories": []}]}
    r = requests.post(url, headers={"Content-Type": "application/json",
                                    "Authorization": f"Token {token}"}, json=payload)
    r.raise_for_status()
    return r.json()["data"]


def list_tokens(token):
    url = f"{BASE}/api/v3/accounts/{ACCOUNT}/service-tokens/"
    r = requests.get(url, headers={"Content-Type": "application/json",
                                   "Authorization": f"Token {token}"})
    r.raise_for_status()
    return r.json()["data"]


def main():
    secret = get_secret(SECRET)
    old_id, old_token = secret["service_token_id"], secret["service_token"]
    info = create_token(SECRET, old_token)
    new_token, new_id = info["token_string"], info["id"]
    update_aws_secret(SECRET, {"service_token_id": new_id, "service_token": new_token,
                               "last_rotated_datetime_utc": datetime.now(timezone.utc).isoformat()})
    delete_token(old_id, new_token)
    for t in list_tokens(new_token):
        if t.get("name") == SECRET and t.get("id") != new_id and t.get("state") == 1:
            delete_token(t["id"], new_token)


if __name__ == "__main__":
    main()
