"""Sending notices to citizens: the gateway interface, its implementations and the dispatcher."""
