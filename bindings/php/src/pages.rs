//! `Tokensmith\CredentialIterator`: every credential matching a filter, for `foreach`, fetching a page when the
//! loop reaches its end. `rewind()` (the start of each `foreach`) starts again from the first page.

use std::collections::VecDeque;

use ext_php_rs::prelude::*;
use ext_php_rs::zend::ce;
use tokensmith::CredentialFilter;

use crate::call::php;
use crate::credential::Credential;

/// Credentials, page after page; made by `AceDataPlatform::iterCredentials()`.
#[php_class]
#[php(name = "Tokensmith\\CredentialIterator")]
#[php(implements(ce = ce::iterator, stub = "\\Iterator"))]
#[derive(Debug)]
pub struct CredentialIterator {
    platform: tokensmith::blocking::AceDataPlatform,
    filter: CredentialFilter,
    pages: Option<tokensmith::blocking::CredentialPages>,
    buffered: VecDeque<tokensmith::Credential>,
    index: i64,
}

impl CredentialIterator {
    pub(crate) fn new(platform: tokensmith::blocking::AceDataPlatform, filter: CredentialFilter) -> Self {
        Self { platform, filter, pages: None, buffered: VecDeque::new(), index: 0 }
    }

    /// Fetches pages until one has credentials or there are no more.
    fn fill(&mut self) -> PhpResult<()> {
        let Some(pages) = &self.pages else { return Ok(()) };
        while self.buffered.is_empty() {
            match php(pages.next_page())? {
                Some(items) => self.buffered.extend(items),
                None => {
                    self.pages = None;
                    break;
                }
            }
        }
        Ok(())
    }
}

#[php_impl]
impl CredentialIterator {
    /// Starts from the first page.
    pub fn rewind(&mut self) -> PhpResult<()> {
        self.pages = Some(self.platform.credential_pages(&self.filter));
        self.buffered.clear();
        self.index = 0;
        self.fill()
    }

    /// Whether there is a current credential.
    pub fn valid(&self) -> bool {
        !self.buffered.is_empty()
    }

    /// The current credential.
    pub fn current(&self) -> Option<Credential> {
        self.buffered.front().cloned().map(Credential)
    }

    /// The position of the current credential, from 0.
    pub fn key(&self) -> i64 {
        self.index
    }

    /// Moves to the next credential, fetching the next page when this one is done.
    pub fn next(&mut self) -> PhpResult<()> {
        self.buffered.pop_front();
        self.index += 1;
        self.fill()
    }
}
