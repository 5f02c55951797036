"""growth"""
