"""technopolis-bot: answers questions about the Technopolis "Moscow" export article, with sources."""

__version__ = "0.1.0"
