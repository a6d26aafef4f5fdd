//! [`Page`]: one page of a list answer, in every shape the platform has used.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// One page of a list: how many match in all, and this page's items.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// How many items match in all (not only on this page).
    pub count: u64,
    /// This page's items.
    pub items: Vec<T>,
    /// Whether the platform sent `count` (a bare list or an answer without it says nothing of other pages).
    pub(crate) counted: bool,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Page<T> {
    /// Accepts `{"count", "items"}`, the older `{"count", "results"}`, and a bare list.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged, bound = "T: DeserializeOwned")]
        enum Shape<T> {
            Paged {
                #[serde(default)]
                count: Option<u64>,
                #[serde(alias = "results")]
                items: Vec<T>,
            },
            Bare(Vec<T>),
        }
        Ok(match Shape::deserialize(deserializer)? {
            Shape::Paged { count, items } => {
                Self { count: count.unwrap_or(items.len() as u64), counted: count.is_some(), items }
            }
            Shape::Bare(items) => Self { count: items.len() as u64, counted: false, items },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        id: String,
    }

    #[test]
    fn pages_accept_items_results_and_bare_lists() {
        for text in [r#"{"count": 7, "items": [{"id": "a"}]}"#, r#"{"count": 7, "results": [{"id": "a"}]}"#] {
            let page: Page<Item> = serde_json::from_str(text).unwrap();
            assert_eq!((page.count, page.items.len()), (7, 1));
        }
        let page: Page<Item> = serde_json::from_str(r#"[{"id": "a"}, {"id": "b"}]"#).unwrap();
        assert_eq!((page.count, page.items[1].id.as_str()), (2, "b"));
        assert!(!page.counted);
        let page: Page<Item> = serde_json::from_str(r#"{"items": []}"#).unwrap();
        assert_eq!((page.count, page.counted), (0, false));
    }
}
