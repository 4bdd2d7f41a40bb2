def seed_people(scale=1):
    pass
