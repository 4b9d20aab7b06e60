// Stylesheets are bundled by esbuild; to the type checker an imported .css file is an opaque module.
declare module '*.css';
