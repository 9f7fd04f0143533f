"""Extension objects, created unbound; `create_app` binds them.

Nothing here imports the app, which keeps the packages free of circular imports.
"""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_smorest import Api
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints make Alembic migrations reproducible and let SQLite's
# batch mode find constraints again when it rebuilds a table.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Keyed by the client's address; behind a reverse proxy set TRUSTED_PROXIES so
# that address is the client's, not the proxy's.
limiter = Limiter(key_func=get_remote_address)


class JsonApi(Api):
    """flask-smorest's Api without its app-wide error handler: that handler would
    answer every error of the HTML pages in JSON. scheduler/errors.py sends the
    errors of /api/ paths to scheduler/api/errors.py instead."""

    def _register_error_handlers(self):
        pass


api = JsonApi()
