"""Pure planning of a pull-request review: suggestion blocks, which findings become inline
comments, which earlier comments are now fixed, and the markdown of the summaries."""
