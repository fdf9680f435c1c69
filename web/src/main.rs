//! The entry point trunk builds: mounts the app on `<body>`.

fn main() {
    // First: a panic anywhere after this shows the error panel and keeps the text.
    keyline_web::panic::install();
    yew::Renderer::<keyline_web::App>::new().render();
}
