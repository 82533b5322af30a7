"""The PyTorch backend of R1 Workbench.

Builds the model of a ``*.model.json`` spec exactly as the DJL engine does, reads the pipeline's token shards,
trains a ``run.json`` (single process or under ``torchrun``) and writes the same event journal, so the
workbench shows the run like any other. Weights move to and from the DJL engine as safetensors.

Run it with Debian's interpreter, which has ``python3-torch``: ``/usr/bin/python3 -m r1wb_torch.train RUN_DIR``.
"""

FORMAT_VERSION = 1
