"""The pages of the site: where each one lives, how it is made from the bank, the engine's templates and assets."""
