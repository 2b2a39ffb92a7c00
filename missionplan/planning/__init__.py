"""What the planning unit writes by hand: the framework, the plan settings, and their YAML files."""
