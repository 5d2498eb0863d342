"""The delivery engine: everything the bot sends on its own goes through the ledger (bot/storage/outbox.py),
is claimed by a worker on any replica, sent through a platform's Notifier within the shared throttles, and
ends sent, failed (with a reason), cancelled, or waiting for someone who cannot be reached yet."""
