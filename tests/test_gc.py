"""The garbage-collector pause around bulk record work."""

from __future__ import annotations

import gc
import threading

import pytest

from newstrace._gc import gc_paused


def test_the_collector_resumes_when_the_outermost_pause_ends_even_after_an_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause ended, the outer one has not
        raise ValueError
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pauses_in_two_threads_end_with_the_collector_on():
    inside, release = threading.Barrier(2), threading.Event()

    def pause() -> None:
        with gc_paused():
            inside.wait()
            release.wait()

    other = threading.Thread(target=pause)
    other.start()
    with gc_paused():
        inside.wait()
    assert not gc.isenabled()  # the other thread still pauses it
    release.set()
    other.join()
    assert gc.isenabled()
