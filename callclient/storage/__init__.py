"""Local storage: secrets in the OS keychain, the encrypted store, the voicemail cache, and erasing it all."""
