"""The output layer: every command's result becomes JSON, plain text or Rich here, and
nowhere else. Domain modules never import it."""
