"""The heavy stages on a Dask LocalCluster of 2 workers give the single-process result.

Cleaning, segmentation, shingle signatures, lead embeddings and entities, and
attribution run as Dask bag jobs; the brief must equal the one ``analyze``
makes in this process, and nothing may be computed twice.
"""

from __future__ import annotations

import pytest

from newstrace.pipeline import _clean_one, _segment_one, analyze_store, dask_client, ingest_store
from newstrace.store import _dask, open_store

from .conftest import EXAMPLES

DISTRIBUTED = ("clean", "segment", "signatures", "entities", "attribution")


def test_dask_local_cluster_gives_the_same_brief(tmp_path, example_brief):
    cloudpickle = pytest.importorskip("cloudpickle")
    distributed = pytest.importorskip("distributed")
    shipped = (_clean_one, _segment_one, _dask.shingle_signatures, _dask.lead_vectors)
    shipped += (_dask.lead_entities, _dask.attribution)
    for function in shipped:  # what the workers receive: by reference, not by value
        assert cloudpickle.loads(cloudpickle.dumps(function)) is function
    with (
        dask_client("local", workers=2, processes=False) as client,
        open_store(tmp_path / "p.db") as store,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        ingest_store(store, [EXAMPLES])
        with distributed.get_task_stream(client) as stream:
            result = analyze_store(store, client=client)
        ran_on = {task["worker"] for task in stream.data}
    assert len(ran_on) == 2  # both workers did some of the work
    assert all(result.recomputed[stage] == 12 for stage in DISTRIBUTED)
    assert result.recomputed["embeddings"] > 12  # leads on the cluster, sentences here
    assert result.brief.to_json() == example_brief.to_json()


def test_partitions_keep_order_and_embedding_batches(tmp_path):
    distributed = pytest.importorskip("distributed")
    texts = [f"text number {i} " + "word " * (i % 7) for i in range(100)]
    ordered = _dask.embedding_order(texts + texts[:5])
    assert sorted(ordered) == sorted(texts)  # distinct, nothing lost
    with distributed.Client(processes=False, n_workers=2, dashboard_address=":0") as client:
        heads = _dask.run_partitions(
            client, lambda part: [len(part)] + [0] * (len(part) - 1), ordered, multiple=32
        )
        doubled = _dask.run_partitions(client, lambda part: [t * 2 for t in part], ordered)
    assert doubled == [t * 2 for t in ordered]
    sizes = [size for size in heads if size]
    assert sum(sizes) == len(ordered) and len(sizes) > 1
    assert all(size % 32 == 0 for size in sizes[:-1])  # cut where MiniLM cuts its batches


def test_large_inputs_run_as_several_jobs_of_bounded_partitions(monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(_dask, "MAX_PARTITION", 10)
    items = list(range(95))
    client = distributed.Client(processes=False, n_workers=2, dashboard_address=":0")
    with client, distributed.get_task_stream(client) as stream:
        sizes = _dask.run_partitions(client, lambda part: [len(part)] * len(part), items)
        doubled = _dask.run_partitions(client, lambda part: [t * 2 for t in part], items)
    assert doubled == [t * 2 for t in items]  # in order across jobs
    assert max(sizes) == 10
    assert len({task["key"] for task in stream.data}) >= 20  # 10 partitions, twice
