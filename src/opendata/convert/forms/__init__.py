"""Readers of performance forms (绩效目标表, 绩效自评表), one module per kind of form."""
