"""Exchange rates: euro reference rates, so prices in any currency can be compared."""
