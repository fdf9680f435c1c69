//! The entry point trunk builds: mounts the app on `<body>`.
#![forbid(unsafe_code)]

fn main() {
    yew::Renderer::<keyline_web::App>::new().render();
}
