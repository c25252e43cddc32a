def seed(ctx):
    pass
