"""Creating the GitHub App from a browser (GitHub's manifest flow) and keeping its credentials.

`credentials` stores what GitHub hands back (0600, atomically) and merges it into the settings;
`manifest` turns app.yml into the manifest GitHub expects; `page` renders the HTML; `flow` serves
the pages, checks the `state` on the way back and exchanges the code for the credentials.
"""
