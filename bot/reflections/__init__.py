"""reflections"""
