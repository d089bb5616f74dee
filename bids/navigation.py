from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

# Anyone may bid (issue 11): the entry is public; the page asks to log in.
ITEMS = [NavItem(_("Submit a bid"), "bids:municipality")]
