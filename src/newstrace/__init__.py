"""newstrace: how many of these articles are actually independent sources?"""
