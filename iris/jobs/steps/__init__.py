"""The pipeline's step functions, one module per step, named after what each does to
the job. Steps do work only: the flow (iris/jobs/flow.py) moves the job between steps."""
