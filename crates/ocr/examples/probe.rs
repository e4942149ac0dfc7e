use rten::Model;
use rten_tensor::NdTensor;
use rten_tensor::prelude::*;
use std::time::Instant;
fn main() {
    for path in std::env::args().skip(1) {
        let t = Instant::now();
        let bytes = std::fs::read(&path).unwrap();
        let m = Model::load(bytes).unwrap();
        println!("{path}: load {:?}", t.elapsed());
        let shapes: &[[usize; 4]] = if path.contains("rec") {
            &[[1, 3, 48, 320], [4, 3, 48, 320]]
        } else {
            &[[1, 3, 512, 512], [1, 3, 768, 1024], [1, 3, 64, 320]]
        };
        for s in shapes {
            let x = NdTensor::<f32, 4>::full(*s, 0.5);
            for _ in 0..2 {
                let t = Instant::now();
                let out = m.run_one(x.view().into(), None).unwrap();
                let out: rten_tensor::Tensor<f32> = out.try_into().unwrap();
                println!("  {:?} -> {:?} {:?}", s, out.shape(), t.elapsed());
            }
        }
    }
}
