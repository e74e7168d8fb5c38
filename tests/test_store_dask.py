"""Clean and segment on a Dask LocalCluster of 2 workers give the single-process result."""

from __future__ import annotations

import pytest

from newstrace.pipeline import _clean_one, _segment_one, analyze_store, dask_client, ingest_store
from newstrace.store import open_store

from .conftest import EXAMPLES


def test_dask_local_cluster_gives_the_same_brief(tmp_path, example_brief):
    cloudpickle = pytest.importorskip("cloudpickle")
    for function in (_clean_one, _segment_one):  # what the workers receive
        assert cloudpickle.loads(cloudpickle.dumps(function)) is function
    with (
        dask_client("local", workers=2, processes=False) as client,
        open_store(tmp_path / "p.db") as store,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        ingest_store(store, [EXAMPLES])
        result = analyze_store(store, client=client)
    assert result.recomputed["clean"] == 12 and result.recomputed["segment"] == 12
    assert result.brief.to_json() == example_brief.to_json()
