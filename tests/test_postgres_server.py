"""The PostgreSQL fixtures give a real, isolated server."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine, create_engine, inspect, text

from tests.support.postgres import PostgresServer


@pytest.mark.pg
def test_server_is_real_postgresql(pg_server: PostgresServer, pg_url: str) -> None:
    engine = create_engine(pg_url)
    try:
        with engine.connect() as connection:
            version = connection.execute(text("select version()")).scalar_one()
            port = connection.execute(text("select inet_server_port()")).scalar_one()
    finally:
        engine.dispose()
    assert "PostgreSQL" in version
    assert port == pg_server.port
    assert pg_server.version


@pytest.mark.pg
def test_databases_are_isolated(pg_server: PostgresServer, pg_url: str) -> None:
    other_name = f"t_other_{uuid.uuid4().hex[:8]}"
    other_url = pg_server.create_database(other_name)
    engines: list[Engine] = []
    try:
        assert other_url != pg_url
        first, second = engines = [create_engine(pg_url), create_engine(other_url)]
        with first.begin() as connection:
            connection.execute(text("create table only_here (id integer primary key)"))
        assert inspect(first).has_table("only_here")
        assert not inspect(second).has_table("only_here")
    finally:
        for engine in engines:
            engine.dispose()
        pg_server.drop_database(other_name)


def test_db_url_connects(db_url: str, request: pytest.FixtureRequest) -> None:
    backend = request.node.callspec.params["db_url"]
    assert (request.node.get_closest_marker("pg") is not None) == (backend == "postgresql")
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("select 1")).scalar_one() == 1
        assert engine.dialect.name == backend
    finally:
        engine.dispose()
