"""Sjukskrivningskollen: a Telegram companion for people on sick leave and their coordinators."""
