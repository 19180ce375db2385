"""aiogram routers: parse and authorise, call a service, show the result."""
