from tests.staff.conftest import fresh_user_per_request

__all__ = ["fresh_user_per_request"]
