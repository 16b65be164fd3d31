"""Corpus scale: `briefing.summarise_text` (the function users map over a corpus, here on a local
Dask cluster) and `briefing summarise --jsonl` with worker processes, streaming in input order."""

from __future__ import annotations

import io
import json
import pickle

import pytest
from click.testing import CliRunner

import briefing
from briefing import corpus
from briefing.cli import main
from briefing.decode import clean_text

TEXTS = [
    "今天天气很好。州政协召开会议，审议通过3项议案。",
    "委员提出建议12件。",
    "2022年以来，楚雄州政协围绕全州中心工作开展专题协商12次，提出意见建议300余条。委员们深入基层调研。"
    "推动出台《关于进一步优化营商环境的实施意见》。新增市场主体1.3万余户。",
    "红河州政协\u0007组织委员视察。",  # a control character, removed as the command line does
]


@pytest.fixture(scope="module")
def seed_paragraphs(seed_articles) -> list[str]:
    return [p.text for a in seed_articles for s in a.sections for p in s.paragraphs]


def test_summarise_text_is_the_summarisers_answer_and_ships_by_name(summariser, seed_path):
    text = seed_path.read_text("utf-8")
    assert briefing.summarise_text(text, sentences=3) == summariser.summarise_text(text, 3)
    assert briefing.summarise_text(TEXTS[3], 1) == ["红河州政协组织委员视察。"]
    shipped = pickle.dumps(briefing.summarise_text)
    assert len(shipped) < 100 and pickle.loads(shipped) is briefing.summarise_text


def test_the_stream_in_workers_gives_the_in_process_answers_in_input_order(seed_paragraphs):
    items = [(f"p{i}", text) for i, text in enumerate(seed_paragraphs)]
    alone = list(corpus.summarise_stream(items, 1, jobs=1))
    seen = []
    workers = list(corpus.summarise_stream(items, 1, jobs=2, progress=lambda n, c: seen.append((n, c)),
                                           batch_chars=300))
    assert workers == alone
    assert [json.loads(line)["id"] for line in workers] == [i for i, _ in items]
    assert seen[-1] == (len(items), sum(len(t) for _, t in items))
    assert len(seen) > 4  # many batches, each reported


def test_the_stream_reads_only_a_few_batches_ahead(seed_paragraphs):
    """Constant memory: the first answer comes before the feed is read much further."""
    pulled = []

    def feed():
        for i in range(10_000):
            pulled.append(i)
            yield i, seed_paragraphs[i % len(seed_paragraphs)]

    stream = corpus.summarise_stream(feed(), 1, jobs=2, batch_chars=1000)
    first = next(stream)
    stream.close()
    assert json.loads(first)["id"] == 0
    assert len(pulled) < 200  # at most 2 batches per worker in flight (+ the one being filled)


def test_jsonl_reader_is_lazy_and_names_the_bad_line():
    good = json.dumps({"id": "a", "text": "好。"}, ensure_ascii=False).encode()
    lines = corpus.read_jsonl(io.BytesIO(b"\xef\xbb\xbf" + good + b"\n\n" + b'{"text": "\xff"}\n'), "feed")
    assert next(lines) == ("a", "好。")
    with pytest.raises(briefing.errors.InputError, match="feed:3: JSON lines must be UTF-8"):
        next(lines)
    missing = corpus.read_jsonl(io.BytesIO(b'{"id": 1}\n'), "feed")
    with pytest.raises(briefing.errors.InputError, match='feed:1: each line needs a "text" string'):
        list(missing)
    assert list(corpus.read_jsonl(io.BytesIO(b'{"text": "x"}\r\n'), "f")) == [(1, "x")]


def test_cli_jsonl_with_jobs_matches_one_process(tmp_path, seed_paragraphs):
    feed = tmp_path / "feed.jsonl"
    rows = [{"id": i, "text": t} for i, t in enumerate(seed_paragraphs * 3)]
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    one = CliRunner().invoke(main, ["summarise", "--jsonl", str(feed), "--jobs", "1"])
    two = CliRunner().invoke(main, ["summarise", "--jsonl", str(feed), "--jobs", "2", "--explain"])
    assert one.exit_code == 0 and two.exit_code == 0, (one.output, two.output)
    first, second = ([json.loads(x) for x in r.output.splitlines()] for r in (one, two))
    assert [r["id"] for r in second] == list(range(len(rows)))
    assert [r["summary"] for r in first] == [r["summary"] for r in second]
    assert all(len(r["why"]) == len(r["summary"]) for r in second)
    assert first[0]["summary"] == briefing.summarise_text(clean_text(rows[0]["text"])[0], 2)


def test_cli_jsonl_missing_file_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["summarise", "--jsonl", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert result.output.startswith("briefing: error: ") and "nope.jsonl" in result.output


@pytest.mark.slow
def test_summarise_text_maps_over_a_local_dask_cluster(seed_paragraphs):
    distributed = pytest.importorskip("distributed")
    import dask.bag

    texts = seed_paragraphs[:12] + TEXTS
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        bag = dask.bag.from_sequence(texts, npartitions=4)
        summaries = bag.map(briefing.summarise_text, sentences=1).compute()
    assert summaries == [briefing.summarise_text(t, 1) for t in texts]
    assert all(s and all(sentence in clean_text(t)[0] for sentence in s) for s, t in zip(summaries, texts))


@pytest.mark.parametrize("source", ["stdin", "file"])
def test_a_bad_last_line_stops_the_feed_before_anything_is_printed(tmp_path, source, seed_paragraphs):
    good = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(seed_paragraphs))
    feed = good * 3 + '{"id": [1], "text": "好。"}\n'
    if source == "stdin":
        result = CliRunner().invoke(main, ["summarise", "--jsonl", "-", "--jobs", "2"], input=feed)
        where = "<stdin>"
    else:
        (tmp_path / "feed.jsonl").write_text(feed, "utf-8")
        result = CliRunner().invoke(main, ["summarise", "--jsonl", str(tmp_path / "feed.jsonl"), "--jobs", "2"])
        where = str(tmp_path / "feed.jsonl")
    assert result.exit_code == 1
    assert result.output == f'briefing: error: {where}:{3 * len(seed_paragraphs) + 1}: "id" must be a whole number ' \
                            "or a one-line string without control characters\n"
