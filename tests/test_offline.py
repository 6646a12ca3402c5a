"""The test command switches the network off, so a notebook that downloads anything fails."""

import os
import socket

import pytest


@pytest.mark.skipif(os.environ.get("NT_OFFLINE") != "1",
                    reason="runs only under `make test`'s network namespace (NT_OFFLINE=1)")
def test_only_the_loopback_interface_exists():
    names = sorted(name for _, name in socket.if_nameindex())
    assert names == ["lo"]
