//! A team reads its file once: the first member reads the `Blob` and passes each piece on
//! to the other members through a `MessagePort` each, transferred (not copied). Two
//! readers of one file cost the browser twice the reading, on the cores the analysis
//! needs.
//!
//! The other members say when they have taken a piece in; the first member waits when
//! [`MAX_PIECES_AHEAD`] pieces are not yet taken, so a slower member never makes pieces
//! pile up in memory.

use crate::js_error;
use js_sys::{Array, Function, Promise, Uint8Array};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, MessagePort};

/// Pieces a member may have waiting (a `Blob` stream's pieces are tens to hundreds of
/// kilobytes).
const MAX_PIECES_AHEAD: usize = 16;

/// Wakes one task waiting for something a message brings. Safe against a lost wake-up:
/// a task checks what it waits for before it waits, and nothing else runs in between.
#[derive(Default)]
struct Wakeup {
    resolve: RefCell<Option<Function>>,
}

impl Wakeup {
    async fn wait(&self) {
        let promise = Promise::new(&mut |resolve, _reject| {
            *self.resolve.borrow_mut() = Some(resolve);
        });
        let _ = JsFuture::from(promise).await;
    }

    fn wake(&self) {
        if let Some(resolve) = self.resolve.borrow_mut().take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}

/// The first member's side: the ports to the other members.
pub struct RelayOut {
    ports: Vec<MessagePort>,
    /// Pieces sent and not yet taken in, over all ports.
    not_taken: Rc<Cell<usize>>,
    wakeup: Rc<Wakeup>,
    _on_taken: Closure<dyn FnMut(MessageEvent)>,
}

impl RelayOut {
    /// Passes pieces on through `ports`.
    pub fn new(ports: Vec<MessagePort>) -> Self {
        let not_taken = Rc::new(Cell::new(0usize));
        let wakeup = Rc::new(Wakeup::default());
        let (taken, woken) = (Rc::clone(&not_taken), Rc::clone(&wakeup));
        let on_taken = Closure::<dyn FnMut(MessageEvent)>::new(move |_| {
            taken.set(taken.get().saturating_sub(1));
            woken.wake();
        });
        for port in &ports {
            port.set_onmessage(Some(on_taken.as_ref().unchecked_ref()));
        }
        Self {
            ports,
            not_taken,
            wakeup,
            _on_taken: on_taken,
        }
    }

    /// Sends every other member `piece` (the last one gets it by transfer: `piece` is
    /// unusable after), once they are not too far behind.
    pub async fn pass_on(&self, piece: &Uint8Array) -> Result<(), String> {
        while self.not_taken.get() >= MAX_PIECES_AHEAD * self.ports.len() {
            self.wakeup.wait().await;
        }
        for (index, port) in self.ports.iter().enumerate() {
            let sent = if index + 1 == self.ports.len() {
                piece.clone()
            } else {
                piece.slice(0, piece.length())
            };
            port.post_message_with_transferable(&sent, &Array::of1(&sent.buffer()))
                .map_err(|e| {
                    format!(
                        "A piece of the file could not be passed on: {}",
                        js_error::describe(&e)
                    )
                })?;
            self.not_taken.set(self.not_taken.get() + 1);
        }
        Ok(())
    }

    /// Tells every other member that the file has ended.
    pub fn end(&self) -> Result<(), String> {
        for port in &self.ports {
            port.post_message(&JsValue::NULL).map_err(|e| {
                format!(
                    "The end of the file could not be passed on: {}",
                    js_error::describe(&e)
                )
            })?;
        }
        Ok(())
    }
}

impl Drop for RelayOut {
    fn drop(&mut self) {
        for port in &self.ports {
            port.set_onmessage(None);
        }
    }
}

/// Another member's side: reads the pieces the first member passes on through `port`,
/// handing each to `take`, which says whether to go on, until the file ends.
pub async fn read_relayed(
    port: &MessagePort,
    mut take: impl FnMut(&[u8]) -> Result<bool, String>,
) -> Result<(), String> {
    let inbox: Rc<RefCell<VecDeque<JsValue>>> = Rc::default();
    let wakeup = Rc::new(Wakeup::default());
    let (arrived, woken) = (Rc::clone(&inbox), Rc::clone(&wakeup));
    let on_piece = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
        arrived.borrow_mut().push_back(message.data());
        woken.wake();
    });
    port.set_onmessage(Some(on_piece.as_ref().unchecked_ref()));
    let mut piece = Vec::new();
    let outcome = loop {
        let next = inbox.borrow_mut().pop_front();
        let Some(next) = next else {
            wakeup.wait().await;
            continue;
        };
        if next.is_null() {
            break Ok(());
        }
        let bytes: Uint8Array = next.unchecked_into();
        piece.resize(bytes.length() as usize, 0);
        bytes.copy_to(&mut piece);
        // Taken in: the first member may send another.
        if let Err(e) = port.post_message(&JsValue::TRUE) {
            break Err(format!(
                "The first worker could not be told a piece was read: {}",
                js_error::describe(&e)
            ));
        }
        match take(&piece) {
            Ok(true) => {}
            Ok(false) => break Ok(()),
            Err(problem) => break Err(problem),
        }
    };
    port.set_onmessage(None);
    outcome
}
