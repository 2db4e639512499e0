"""Where built graphs live: files (TriG/Turtle), the embedded Oxigraph store, remote SPARQL stores."""
