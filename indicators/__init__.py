"""tongcheng: the 同城化 (metropolitan integration) index library. Public API is filled in by the engine."""
