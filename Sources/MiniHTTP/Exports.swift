// `import MiniHTTP` is all an application writes: the layers below are part of its API.
@_exported import MiniHTTPCore
@_exported import MiniHTTPRouting
