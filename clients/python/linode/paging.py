"""Lazy lists: the first page is fetched when the list is first read, the others when an item on
them is reached. Both envelopes are read: the modern {data, page, pages, results} and the 2016
{"<plural>": [...], page, total_pages, total_results}."""

PAGE_SIZE = 100


class PaginatedList:
    def __init__(self, client, path, make, filter=None, key="data"):
        self._client = client
        self._path = path
        self._make = make  # json -> object
        self._filter = filter
        self._key = key
        self._pages = {}
        self._total = None
        self._limit = filter.limit if filter is not None else None

    def _fetch(self, page):
        headers = {}
        if self._filter is not None and self._filter.to_dict():
            headers["X-Filter"] = self._filter.header()
        body = self._client.get(self._path, params={"page": page, "page_size": PAGE_SIZE},
                                headers=headers)
        if self._key == "data":
            items, total = body["data"], body["results"]
        else:
            items, total = body[self._key], body["total_results"]
        self._total = total if self._limit is None else min(total, self._limit)
        self._pages[page] = [self._make(item) for item in items]

    def __len__(self):
        if self._total is None:
            self._fetch(1)
        return self._total

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("list index out of range")
        page = index // PAGE_SIZE + 1
        if page not in self._pages:
            self._fetch(page)
        return self._pages[page][index % PAGE_SIZE]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def first(self):
        return self[0] if len(self) else None

    def __repr__(self):
        return f"PaginatedList({self._path}, {len(self)} items)"
