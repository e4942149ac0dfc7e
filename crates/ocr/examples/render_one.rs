//! Writes one rendered line as PGM: render_one FONT CAP_PX TEXT OUT.pgm [aa on|off] [style 0-3]
#[path = "../testutil/render.rs"]
mod render;
use render::*;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let font = load_font(&a[1]).unwrap();
    let aa = a.get(5).map(|s| s == "on").unwrap_or(true);
    let style = Style::ALL[a.get(6).map(|s| s.parse().unwrap()).unwrap_or(1)];
    let (c, _) = render_line(&font, a[2].parse().unwrap(), &a[3], style, aa, 6, 1);
    std::fs::write(&a[4], pgm(&c)).unwrap();
}
