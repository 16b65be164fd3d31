"""The compact dictionary cache gives jieba's own dictionary, hence the same tokens."""

from __future__ import annotations

from briefing.tokenizer import jieba, new_tokenizer

TEXT = "州政协探索建立委员工作室218个，2100余名委员与10600多名有代表性的界别群众建立了常态化联系。"


def test_compact_cache_gives_the_same_dictionary_and_tokens(tmp_path, seed_path):
    first = new_tokenizer(tmp_path)  # builds the cache
    assert len(list(tmp_path.glob("jieba-*.dict"))) == 1
    second = new_tokenizer(tmp_path)  # loads it
    reference = jieba.Tokenizer()
    reference.initialize()
    assert second.FREQ == reference.FREQ and second.total == reference.total
    seed = seed_path.read_text("utf-8")
    assert second.lcut(seed) == reference.lcut(seed) == first.lcut(seed)
    assert second.lcut(TEXT)[:4] == ["州", "政协", "探索", "建立"]


def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path):
    new_tokenizer(tmp_path)
    (cache,) = tmp_path.glob("jieba-*.dict")
    cache.write_bytes(cache.read_bytes()[:1000])
    tokenizer = new_tokenizer(tmp_path)
    assert tokenizer.lcut(TEXT) == jieba.Tokenizer().lcut(TEXT)
    assert cache.stat().st_size > 1_000_000


def test_an_unwritable_cache_folder_only_costs_time(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", "utf-8")
    tokenizer = new_tokenizer(blocked / "cache")
    assert tokenizer.lcut("委员工作室") == ["委员", "工作室"]
