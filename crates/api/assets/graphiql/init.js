// Boots GraphiQL on labgraph's page. A file rather than an inline script so the page's
// Content-Security-Policy can forbid inline scripts altogether.
'use strict';

// The page is served by `GET /graphql` itself, so its own path is the endpoint, wherever
// the router is mounted.
const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });

ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultEditorToolsVisibility: true,
  }),
);
