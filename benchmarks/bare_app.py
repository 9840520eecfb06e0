"""The baseline: a bare Flask endpoint doing one INSERT, nothing else.

Served by gunicorn with DATABASE_URL pointing at the same database as the app.
"""

import os

from flask import Flask, request
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, text

from config import database_url

url = database_url(os.environ["DATABASE_URL"])
connect_args = {"timeout": 15} if url.startswith("sqlite") else {}
engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
metadata = MetaData()
bare_insert = Table(
    "bare_insert",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False),
)
if engine.dialect.name == "sqlite":
    with engine.begin() as connection:
        connection.execute(text("PRAGMA journal_mode = WAL"))
metadata.create_all(engine, checkfirst=True)
engine.dispose()  # served with --preload: workers must not share the master's connections

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.get("/hello")
def hello():
    return "<!doctype html><title>Bonjour</title><p>Bonjour</p>"


@app.post("/insert")
def insert_row():
    with engine.begin() as connection:
        connection.execute(insert(bare_insert).values(email=request.form["email"]))
    return {"status": "created"}, 201
