"""Ask the graph: named SPARQL queries with bound parameters, and the facts view."""
