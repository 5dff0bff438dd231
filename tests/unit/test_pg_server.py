"""The shared index's pure helpers: which URLs are PostgreSQL ones, passwords masked and scrubbed, the table names."""
from __future__ import annotations

import pytest

from verifier.errors import IndexServerError
from verifier.pg_server import _scrub, is_index_url, mask, sentences_table


@pytest.mark.parametrize("url", ["postgresql://ann@db.example.org/sources", "postgres://db/sources",
                                 "postgresql://ann:secret@localhost:5433/src?sslmode=require"])
def test_postgresql_and_postgres_urls_are_index_urls(url):
    assert is_index_url(url)


@pytest.mark.parametrize("url", ["", "index", "./cache/index", "mysql://db/sources", "http://db/sources",
                                 "postgresql:/db/sources", " postgresql://db/sources"])
def test_anything_else_is_not_an_index_url(url):
    assert not is_index_url(url)


def test_a_password_in_the_url_is_shown_as_stars():
    assert mask("postgresql://ann:s3cret@db.example.org:5432/src") == "postgresql://ann:***@db.example.org:5432/src"


def test_a_password_holding_an_at_sign_is_masked_whole():
    assert mask("postgresql://ann:p@ss@db/src") == "postgresql://ann:***@db/src"


def test_a_url_without_a_password_is_shown_as_it_is():
    for url in ("postgresql://ann@db/src", "postgresql://db/src", "postgresql://ann:@db/src?sslmode=require"):
        assert mask(url) == url


def test_a_password_query_parameter_is_shown_as_stars_whatever_its_case():
    masked = mask("postgresql://ann@db/src?sslmode=require&password=hunter2&PASSWORD=x&application_name=v")
    assert masked == "postgresql://ann@db/src?sslmode=require&password=***&PASSWORD=***&application_name=v"
    assert mask("postgresql://db/src?password=hunter2") == "postgresql://db/src?password=***"


def test_a_parameter_that_only_ends_in_password_is_left_alone():
    assert mask("postgresql://db/src?oldpassword=kept") == "postgresql://db/src?oldpassword=kept"


def test_a_url_that_cannot_be_parsed_is_not_shown_at_all():
    assert mask("postgresql://ann:s3cret@[::1/src") == "<an index URL that cannot be parsed>"


def test_the_password_of_the_url_never_survives_in_an_error_message():
    url = "postgresql://ann:s3cret@db/src"
    said = 'connection failed: FATAL:  password "s3cret" for user "ann" was wrong (s3cret)'
    scrubbed = _scrub(said, url)
    assert "s3cret" not in scrubbed
    assert scrubbed == 'connection failed: FATAL: password "***" for user "ann" was wrong (***)'


def test_a_percent_encoded_password_is_scrubbed_as_written_and_as_decoded():
    url = "postgresql://ann:p%40ss%21@db/src"
    scrubbed = _scrub("tried p%40ss%21, that is p@ss!, for ann", url)
    assert "p@ss!" not in scrubbed and "p%40ss%21" not in scrubbed
    assert scrubbed == "tried ***, that is ***, for ann"


def test_a_password_query_parameter_is_scrubbed_too():
    scrubbed = _scrub("server said: hunter2 is wrong", "postgresql://ann@db/src?sslmode=require&password=hunter2")
    assert scrubbed == "server said: *** is wrong"


def test_scrubbing_folds_the_message_onto_one_line():
    assert _scrub("could not connect\n\tis the server\n  running?", "postgresql://db/src") == \
        "could not connect is the server running?"
    assert _scrub("no  secret\nhere", "postgresql://ann:s3cret@[::1/src") == "no secret here"


@pytest.mark.parametrize("dim", [1, 384, 4000])
def test_the_sentences_table_is_named_by_the_vectors_dimensions(dim):
    assert sentences_table(dim) == f"verifier_sentences_{dim}"


@pytest.mark.parametrize("dim", [0, -384, 4001, "384", 384.0, None, "1; DROP TABLE verifier_files"])
def test_dimensions_out_of_range_or_not_whole_numbers_name_no_table(dim):
    with pytest.raises(IndexServerError, match=r"cannot be indexed \(1 to 4000\)") as e:
        sentences_table(dim)
    assert repr(dim) in str(e.value)
