//! flowlens's context module: labels and health checks for the page. A separate wasm
//! module, loaded by the table worker when a decode finishes (and when the first context
//! file arrives), so that parsing context files (serde's JSON), labelling every row and
//! classifying load-balancer health checks stay out of the main module, which every page
//! load pays for.
//!
//! What crosses from the main module is bytes both ways: the columns labelling reads
//! (`Table.annotationInput()` there, see `flowlens::context::ANNOTATION_FIELDS`) come
//! in, and the annotations go back (`Table.setAnnotations(bytes)`), in the wire formats
//! of the core (`Table::columns_to_bytes`, `Annotations::to_bytes`). All flow-log
//! knowledge stays in the core; this crate only joins the calls.

use flowlens::context::{Annotations, Context, ContextFileInfo};
use flowlens::Table;

/// The context files given so far, and the labelling of a table with them.
#[derive(Default)]
pub struct Labeller {
    context: Context,
}

impl Labeller {
    /// Adds a whole context file: its info (with the reason when it is one but broken),
    /// or `None` when the bytes are not a context file.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> Option<&ContextFileInfo> {
        // a broken one is listed with its reason (the info's `error`)
        let _broken = self.context.add_file(name, bytes)?;
        self.context.files.last()
    }

    /// The annotations (as bytes for `Annotations::from_bytes`) of the table whose
    /// columns `table` holds (`Table::columns_to_bytes`). The table's bytes are dropped
    /// before labelling starts, so the module's memory peaks lower.
    pub fn annotate(&mut self, table: Vec<u8>) -> Result<Vec<u8>, String> {
        let t = Table::from_bytes(&table).map_err(|e| e.to_string())?;
        drop(table);
        let a = Annotations::build(&t, std::mem::take(&mut self.context));
        drop(t);
        Ok(a.to_bytes())
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use serde::Serialize as _;
    use wasm_bindgen::prelude::*;

    /// Context files and the labelling of a table (see `Labeller`): `new Annotator()`,
    /// `addContext(name, bytes)` per context file, then `annotate(table.annotationInput())`
    /// once, for `table.setAnnotations(…)`.
    #[wasm_bindgen]
    #[derive(Default)]
    pub struct Annotator {
        inner: super::Labeller,
    }

    #[wasm_bindgen]
    impl Annotator {
        /// No context files yet.
        #[wasm_bindgen(constructor)]
        pub fn new() -> Annotator {
            Annotator::default()
        }

        /// A whole context file: `{name, kind, source, items, error}` (error set when it
        /// is one but broken), or null when the bytes are not a context file.
        #[wasm_bindgen(js_name = addContext)]
        pub fn add_context(&mut self, name: &str, bytes: &[u8]) -> JsValue {
            match self.inner.add(name, bytes) {
                None => JsValue::NULL,
                Some(info) => info
                    .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
                    .unwrap_or(JsValue::NULL),
            }
        }

        /// The annotations of the table whose `annotationInput()` these bytes are, for
        /// its `setAnnotations`. Uses up the context files given.
        pub fn annotate(&mut self, table: Vec<u8>) -> Result<Vec<u8>, JsError> {
            self.inner.annotate(table).map_err(|e| JsError::new(&e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> Table {
        flowlens::decode_bytes(text.as_bytes(), flowlens::DecodeOptions::default())
    }

    /// Two targets checked every 30 s by one source (a load balancer's rhythm), and
    /// one real request.
    fn health_log() -> String {
        let mut s = String::new();
        for i in 0..6 {
            for (dst, off) in [("10.0.2.2", 0), ("10.0.2.3", 1)] {
                let t0 = 1764158400 + 30 * i + off;
                s += &format!(
                    "2 1 eni-2 10.0.8.8 {dst} {} 443 6 4 300 {t0} {} ACCEPT OK\n",
                    50000 + i * 2 + off,
                    t0 + 30
                );
            }
        }
        s += "2 1 eni-2 10.0.8.8 10.0.2.2 60000 443 6 40 30000 1764158417 1764158477 ACCEPT OK\n";
        s
    }

    #[test]
    fn labelling_the_columns_gives_what_labelling_the_table_gives() {
        let t = decode(&health_log());
        let mut l = Labeller::default();
        let bytes = l
            .annotate(t.columns_to_bytes(flowlens::context::ANNOTATION_FIELDS))
            .unwrap();
        let a = Annotations::from_bytes(&bytes, t.len()).unwrap();
        let b = Annotations::build(&t, Context::default());
        assert_eq!(a.labels, b.labels);
        assert_eq!((&a.src, &a.dst, &a.iface), (&b.src, &b.dst, &b.iface));
        assert_eq!(a.health, b.health);
        assert_eq!(a.health.len(), 12);
        assert_eq!(
            a.series.iter().map(|s| s.reason()).collect::<Vec<_>>(),
            b.series.iter().map(|s| s.reason()).collect::<Vec<_>>()
        );
        assert_eq!(a.to_bytes(), bytes, "the round trip is exact");
        // another table's annotations are refused
        assert!(Annotations::from_bytes(&bytes, t.len() + 1).is_err());
        assert!(Annotations::from_bytes(&bytes[..bytes.len() - 1], t.len()).is_err());
    }

    #[test]
    fn a_context_file_is_recognised_and_used() {
        let mut l = Labeller::default();
        assert!(l.add("flows.log", b"2 1 eni-1 10.0.0.1").is_none());
        let enis = br#"{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-2", "PrivateIpAddress": "10.0.8.8", "Description": "ELB app/web-alb/6c01", "InterfaceType": "interface", "AvailabilityZone": "us-east-1a", "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.8.8"}]}]}"#;
        let info = l.add("enis.json", enis).unwrap();
        assert_eq!((info.items, info.error.is_none()), (1, true));
        let t = decode(&health_log());
        let bytes = l
            .annotate(t.columns_to_bytes(flowlens::context::ANNOTATION_FIELDS))
            .unwrap();
        let a = Annotations::from_bytes(&bytes, t.len()).unwrap();
        assert_eq!(a.context.files.len(), 1);
        let src = a.label(a.src[0]).unwrap();
        assert_eq!(src.kind, "elb", "{src:?}");
        assert!(a
            .context
            .interface_by_addr("10.0.8.8".parse().unwrap())
            .is_some());
    }
}
