"""Material the project authors itself: glossaries, lists, the demo pair, fixtures."""
