"""Step 3, merge: the merge rules (pure), choosing the inputs, and writing the merged plan."""
